"""The rules, one file each; this package installs as `dockerstore_lint.rules`.

`INDEX` is the table of codes, generated from the rules by `python -m dockerstore_lint.docs --write-index`
(tests/test_rule_contract.py checks it is current): for each code, the module that holds the rule and its
`targets`, what it looks at. The engine imports only the rules a run can need: linting a lone Dockerfile
never loads the rules about containers.
"""

INDEX = {
    "DSL001": ("dsl001_parse_error", ("problems",)),
    "DSL002": ("dsl002_invalid_mount", ("container",)),
    "DSL003": ("dsl003_malformed_volume_instruction", ("dockerfile",)),
    "DSL004": ("dsl004_reference_not_followed", ("problems",)),
    "DSL005": ("dsl005_unused_suppression", ("suppressions",)),
    "DSL101": ("dsl101_dockerfile_volume", ("dockerfile",)),
    "DSL102": ("dsl102_anonymous_volume", ("container",)),
    "DSL103": ("dsl103_unmapped_image_volume", ("container",)),
    "DSL104": ("dsl104_volumes_from", ("container",)),
    "DSL105": ("dsl105_write_after_volume", ("dockerfile",)),
    "DSL201": ("dsl201_bind_mount_as_root", ("container",)),
    "DSL202": ("dsl202_no_user", ("dockerfile",)),
    "DSL301": ("dsl301_bind_mount_hides_image_content", ("container",)),
    "DSL302": ("dsl302_volume_over_image_content", ("container",)),
    "DSL401": ("dsl401_windows_single_file_mount", ("container",)),
    "DSL402": ("dsl402_windows_volume_on_populated_dir", ("dockerfile", "container")),
    "DSL501": ("dsl501_state_in_writable_layer", ("container",)),
    "DSL502": ("dsl502_state_on_tmpfs", ("container",)),
    "DSL503": ("dsl503_network_filesystem_for_database", ("container",)),
    "DSL504": ("dsl504_shared_database_volume", ("group",)),
    "DSL505": ("dsl505_mount_misses_data_dir", ("container",)),
    "DSL601": ("dsl601_undefined_named_volume", ("workspace",)),
    "DSL602": ("dsl602_unused_named_volume", ("workspace",)),
    "DSL603": ("dsl603_missing_bind_source", ("workspace",)),
    "DSL604": ("dsl604_writable_config_mount", ("container",)),
    "DSL701": ("dsl701_sensitive_host_mount", ("container",)),
}
