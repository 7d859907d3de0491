"""testcontainers-python: `DockerContainer(image)` and the module containers (`PostgresContainer`, ...), with
the `with_*` calls that describe them, chained on the constructor or made later on the name it is
bound to. Test containers are throwaway: `stop()` (and the end of a `with` block) removes the container
with its anonymous volumes, and Ryuk removes what a crashed run leaves.

Read: the image (by position or `image=`; when absent, the class's default below), `volumes=[(host,
container, mode)]`, `env=`, `name=`, `command=`, and the keyword arguments that testcontainers hands on to
docker-py's `containers.run` (`user=`, `working_dir=`, `mounts=`, ...); the calls `with_volume_mapping(host,
container, mode="ro")`, `with_env`, `with_envs`, `with_name`, `with_command`, `with_kwargs` and
`with_tmpfs_mount(path, size)`. Calls on the name bound by `with ... as name:` are not read: they come
after the container has started, and change nothing.

The classes, where their image parameter is and their default image come from testcontainers-python
4.15.0 (github.com/testcontainers/testcontainers-python, commit c958e40ca25b77c75d9fabbd8eb05736dded5790,
`src/testcontainers/community/*/__init__.py`, `core/container.py`, `core/generic.py`, `socat/socat.py`).
Defaults change between releases (`KafkaContainer`'s was `confluentinc/cp-kafka:5.4.3` before), so a
default image is marked as one. Imports from `testcontainers.<module>` and `testcontainers.community.<module>`
are both recognised: a class is known by its name under the `testcontainers` package.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Optional, Union

import libcst as cst

from dockerstore_lint.inputs.python.docker_sdk import container
from dockerstore_lint.inputs.python.launches import TESTCONTAINERS, Bind, PythonContainer, Text
from dockerstore_lint.inputs.python.run_arguments import KEYWORDS, Arguments, composed
from dockerstore_lint.inputs.python.syntax import Located, Program, Scope
from dockerstore_lint.inputs.python.values import Values
from dockerstore_lint.model.span import Span

# class -> (position of its `image` parameter or None, its default image or None)
CLASSES: dict[str, tuple[Optional[int], Optional[str]]] = {
    "ArangoDbContainer": (0, "arangodb:latest"),
    "AsyncRedisContainer": (0, "redis:latest"),
    "AWSLambdaContainer": (0, None),
    "AzuriteContainer": (0, "mcr.microsoft.com/azure-storage/azurite:latest"),
    "BrowserWebDriverContainer": (2, None),  # the default depends on the browser's capabilities
    "CassandraContainer": (0, "cassandra:latest"),
    "ChromaContainer": (0, "chromadb/chroma:1.0.0"),
    "ClickHouseContainer": (0, "clickhouse/clickhouse-server:latest"),
    "CockroachDBContainer": (0, "cockroachdb/cockroach:v24.1.1"),
    "CosmosDBEmulatorContainer": (0, None),  # the default comes from an environment variable
    "CosmosDBMongoEndpointContainer": (1, None),
    "CosmosDBNoSQLEndpointContainer": (None, None),
    "CrateDBContainer": (0, "crate/crate:latest"),
    "DatastoreContainer": (0, "google/cloud-sdk:emulators"),
    "Db2Container": (0, "icr.io/db2_community/db2:latest"),
    "DbContainer": (0, None),
    "DockerContainer": (0, None),
    "DockerRegistryContainer": (0, "registry:2"),
    "ElasticSearchContainer": (0, "elasticsearch"),
    "InfluxDb1Container": (0, "influxdb:1.8"),
    "InfluxDb2Container": (0, "influxdb:latest"),
    "InfluxDbContainer": (0, None),
    "K3SContainer": (0, "rancher/k3s:latest"),
    "KafkaContainer": (0, "confluentinc/cp-kafka:7.6.0"),
    "KeycloakContainer": (0, "quay.io/keycloak/keycloak:latest"),
    "LocalStackContainer": (0, "localstack/localstack:2.0.1"),
    "MailpitContainer": (0, "axllent/mailpit"),
    "MemcachedContainer": (0, "memcached:1"),
    "MilvusContainer": (0, "milvusdb/milvus:latest"),
    "MinioContainer": (0, "minio/minio:RELEASE.2022-12-02T19-19-22Z"),
    "MongoDBAtlasLocalContainer": (0, "mongodb/mongodb-atlas-local:latest"),
    "MongoDbContainer": (0, "mongo:latest"),
    "MosquittoContainer": (0, "eclipse-mosquitto:latest"),
    "MySqlContainer": (0, "mysql:latest"),
    "NatsContainer": (0, "nats:latest"),
    "Neo4jContainer": (0, "neo4j:latest"),
    "NginxContainer": (0, "nginx:latest"),
    "OllamaContainer": (0, "ollama/ollama:0.1.44"),
    "OpenFGAContainer": (0, "openfga/openfga:latest"),
    "OpenSearchContainer": (0, "opensearchproject/opensearch:2.4.0"),
    "OracleDbContainer": (0, "gvenzl/oracle-free:slim"),
    "PostgresContainer": (0, "postgres:latest"),
    "PubSubContainer": (0, "google/cloud-sdk:emulators"),
    "QdrantContainer": (0, "qdrant/qdrant:v1.16.2"),
    "RabbitMqContainer": (0, "rabbitmq:latest"),
    "RedisContainer": (0, "redis:latest"),
    "RedpandaContainer": (0, "docker.redpanda.com/redpandadata/redpanda:v23.1.13"),
    "ScyllaContainer": (0, "scylladb/scylla:latest"),
    "SeleniumVideoContainer": (0, None),
    "ServerContainer": (1, None),
    "SFTPContainer": (0, "atmoz/sftp:alpine"),
    "SocatContainer": (0, "alpine/socat:1.7.4.3-r0"),
    "SqlContainer": (0, None),
    "SqlServerContainer": (0, "mcr.microsoft.com/mssql/server:2019-latest"),
    "TrinoContainer": (0, "trinodb/trino:latest"),
    "ValkeyContainer": (0, "valkey/valkey:latest"),
    "VaultContainer": (0, "hashicorp/vault:latest"),
    "WeaviateContainer": (0, "semitechnologies/weaviate:1.28.4"),
}
# parameters of a class that share a name with a docker-py argument but mean something else
_OWN_PARAMETERS = {"TrinoContainer": frozenset(("user",))}
# DockerContainer's own parameters (the others go on to docker-py)
_CONSTRUCTOR = {"env": "environment", "command": "command", "name": "name", "image": "image"}


def read(program: Program, values: Values) -> list[PythonContainer]:
    containers = []
    later = _calls_on_names(program)
    for call in program.calls:
        name = program.qualified_name(call.node.func, call.scope)
        if name.startswith("testcontainers.") and name.rsplit(".", 1)[1] in CLASSES:
            containers.append(_container(program, values, call, name, later))
    return containers


def _container(program: Program, values: Values, call: Located[cst.Call], qualified: str,
               later: dict[int, list[Located[cst.Call]]]) -> PythonContainer:
    class_name = qualified.rsplit(".", 1)[1]
    image_position, default = CLASSES[class_name]
    own = _OWN_PARAMETERS.get(class_name, frozenset())
    arguments = Arguments(program, values)
    for index, argument in enumerate(call.node.args):
        if argument.star:
            arguments.unreadable(argument.star)
        elif argument.keyword is None:
            if index == image_position:
                arguments.keyword("image", argument.value, call.scope, call.top)
        elif argument.keyword.value == "volumes":
            _volume_tuples(arguments, argument.value, call)
        elif argument.keyword.value in _CONSTRUCTOR:
            arguments.keyword(_CONSTRUCTOR[argument.keyword.value], argument.value, call.scope, call.top)
        elif argument.keyword.value in KEYWORDS and argument.keyword.value not in own:
            arguments.keyword(argument.keyword.value, argument.value, call.scope, call.top)
    chained, top = _chain(program, call)
    for method in (*chained, *later.get(id(top.node), ())):
        _method(arguments, method)
    image = None
    if default is not None:
        image = Text(default, "", program.span(call.node.func, call.top))
    return container(arguments, TESTCONTAINERS, qualified, program.span(call.node, call.top), image=image,
                     image_is_default=default is not None, throwaway=True)


def _calls_on_names(program: Program) -> dict[int, list[Located[cst.Call]]]:
    """The `with_*` calls made later on a name, by the value the name is bound to (`c = DockerContainer(...)`,
    also rebound as `c = c.with_env(...)`), each with the calls chained on it, in the order of the file.
    Not a name bound by `with ... as name:`: the container has started by then."""
    later: dict[int, list[Located[cst.Call]]] = defaultdict(list)
    owners: dict[int, Optional[cst.CSTNode]] = {}
    for call in program.calls:
        func = call.node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and _continues(func.attr.value):
            owner = _owner(program, func.value.value, call.scope, owners)
            if owner is not None:
                later[id(owner)] += [call, *_chain(program, call)[0]]
    return later


def _owner(program: Program, name: str, scope: Scope,
           owners: dict[int, Optional[cst.CSTNode]]) -> Optional[cst.CSTNode]:
    """What `name` is bound to when every binding is an assignment and all but one start from the name
    itself; judged once per name and scope."""
    bindings = program.bindings(name, scope)
    if id(bindings) not in owners:
        others = [binding.value for binding in bindings if not _rooted_at(binding.value, name)]
        assigned = all(binding.kind == "assign" for binding in bindings)
        owners[id(bindings)] = others[0] if assigned and len(others) == 1 else None
    return owners[id(bindings)]


def _chain(program: Program, start: Located[cst.Call]) -> tuple[list[Located[cst.Call]], Located[cst.Call]]:
    """The calls chained on `start` that return the container, and the last of the chain."""
    calls: list[Located[cst.Call]] = []
    current = start
    while True:
        outer = program.receivers.get(id(current.node))
        if outer is None or not _continues(_method_name(outer.node)):
            return calls, current
        calls.append(outer)
        current = outer


def _method_name(call: cst.Call) -> str:
    """The method a call of `receiver.method(...)` calls (every call in `Program.receivers` is one)."""
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else ""


def _continues(method: str) -> bool:
    """`with_*` methods and `start()` return the container itself."""
    return method.startswith("with_") or method == "start"


def _rooted_at(expression: Optional[cst.CSTNode], name: str) -> bool:
    """`name.with_a(...).with_b(...)`."""
    while isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
        expression = expression.func.value
    return isinstance(expression, cst.Name) and expression.value == name


# the methods read, and their parameters in order
_METHODS = {"with_volume_mapping": ("host", "container", "mode"), "with_env": ("key", "value"), "with_name": ("name",),
            "with_command": ("command",), "with_tmpfs_mount": ("container_path", "size")}


def _method(arguments: Arguments, call: Located[cst.Call]) -> None:
    values = arguments.values
    method = _method_name(call.node)
    if any(argument.star for argument in call.node.args):
        arguments.unreadable(f"{method}(*)")
        return
    keywords = {argument.keyword.value: argument.value for argument in call.node.args if argument.keyword is not None}
    if method == "with_envs":
        for key, node in keywords.items():
            value = values.text(node, call.scope, call.top)
            arguments.lists["environment"].append(composed([f"{key}=", value], value.written, value.span))
    elif method == "with_kwargs":
        for key, node in keywords.items():
            arguments.keyword(key, node, call.scope, call.top)
    elif method in _METHODS:
        positional = (argument.value for argument in call.node.args if argument.keyword is None)
        parts = dict(zip(_METHODS[method], positional, strict=False))  # a parameter not given stays out
        parts.update((key, node) for key, node in keywords.items() if key in _METHODS[method])
        _parts(arguments, call, method, parts)


def _parts(arguments: Arguments, call: Located[cst.Call], method: str, parts: Mapping[str, cst.CSTNode]) -> None:
    program, values = arguments.program, arguments.values
    if method == "with_volume_mapping" and "host" in parts and "container" in parts:
        arguments.volumes.append(_mapping(arguments, call, parts))
    elif method in ("with_name", "with_command") and parts:
        name = method[len("with_"):]
        arguments.keyword(name, parts[name], call.scope, call.top)
    elif method == "with_env" and len(parts) == 2:
        key, value = (values.text(parts[name], call.scope, call.top) for name in ("key", "value"))
        arguments.lists["environment"].append(composed([key, "=", value], *_method_site(program, call)))
    elif method == "with_tmpfs_mount" and "container_path" in parts:
        pieces: list[Union[Text, str]] = [values.text(parts["container_path"], call.scope, call.top)]
        if "size" in parts and not values.is_none(parts["size"]):
            pieces += [":", values.text(parts["size"], call.scope, call.top)]
        arguments.lists["tmpfs"].append(composed(pieces, *_method_site(program, call)))


def _mapping(arguments: Arguments, call: Located[cst.CSTNode], parts: Mapping[str, cst.CSTNode]) -> Bind:
    """`with_volume_mapping(host, container, mode="ro")`, which testcontainers hands to docker-py's dict form."""
    program, values = arguments.program, arguments.values
    written, span = _method_site(program, call)
    source = values.text(parts["host"], call.scope, call.top)
    target = values.text(parts["container"], call.scope, call.top)
    mode = values.text(parts["mode"], call.scope, call.top) if "mode" in parts else Text("ro", "", span)
    return Bind(composed([source, ":", target, ":", mode], written, span), source, target, mode)


def _method_site(program: Program, call: Located[cst.CSTNode]) -> tuple[str, Span]:
    """A method call as written and where it is, from the method's name to the end of the call:
    `with_volume_mapping(...)`, not the chain before it."""
    node = call.node
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return (program.code(node.with_changes(func=node.func.attr)),
                program.span_between(node.func.attr, node, call.top))
    return program.code(node), program.span(node, call.top)


def _volume_tuples(arguments: Arguments, node: cst.CSTNode, call: Located[cst.Call]) -> None:
    """`DockerContainer(image, volumes=[(host, container, mode), ...])`: a `with_volume_mapping` each."""
    found = arguments.literal(node, call.scope, call.top, (cst.List, cst.Tuple))
    if found is None:
        arguments.unreadable("volumes")
        return
    for element in found.node.elements:
        item = element.value if isinstance(element, cst.Element) else None
        if not isinstance(item, cst.Tuple) or not 2 <= len(item.elements) <= 3 or any(
                not isinstance(part, cst.Element) for part in item.elements):
            arguments.unreadable("volumes")
            continue
        parts = dict(zip(("host", "container", "mode"), (part.value for part in item.elements), strict=False))
        arguments.volumes.append(_mapping(arguments, Located(item, found.scope, found.top), parts))
