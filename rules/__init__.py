"""The rules, one file each; this package installs as `dockerstore_lint.rules`.

`INDEX` is the table of codes: for each, the module that holds the rule and what the rule reads of a
run, `dockerfiles` and/or `projects` (Compose), or `problems` (input problems, always looked at). The
engine imports only the rules a run can need: linting a lone Dockerfile never loads the Compose rules.
tests/test_rule_contract.py checks the table against the modules.
"""

INDEX = {
    "DSL001": ("dsl001_parse_error", ("problems",)),
    "DSL002": ("dsl002_invalid_mount", ("projects",)),
    "DSL003": ("dsl003_malformed_volume_instruction", ("dockerfiles",)),
    "DSL004": ("dsl004_reference_not_followed", ("problems",)),
    "DSL101": ("dsl101_dockerfile_volume", ("dockerfiles",)),
    "DSL102": ("dsl102_anonymous_volume", ("projects",)),
    "DSL103": ("dsl103_unmapped_image_volume", ("projects",)),
    "DSL104": ("dsl104_volumes_from", ("projects",)),
    "DSL105": ("dsl105_write_after_volume", ("dockerfiles",)),
    "DSL201": ("dsl201_bind_mount_as_root", ("projects",)),
    "DSL202": ("dsl202_no_user", ("dockerfiles",)),
    "DSL301": ("dsl301_bind_mount_hides_image_content", ("projects",)),
    "DSL302": ("dsl302_volume_over_image_content", ("projects",)),
    "DSL401": ("dsl401_windows_single_file_mount", ("projects",)),
    "DSL402": ("dsl402_windows_volume_on_populated_dir", ("dockerfiles", "projects")),
    "DSL501": ("dsl501_state_in_writable_layer", ("projects",)),
    "DSL502": ("dsl502_state_on_tmpfs", ("projects",)),
    "DSL503": ("dsl503_network_filesystem_for_database", ("projects",)),
    "DSL504": ("dsl504_shared_database_volume", ("projects",)),
    "DSL505": ("dsl505_mount_misses_data_dir", ("projects",)),
    "DSL601": ("dsl601_undefined_named_volume", ("projects",)),
    "DSL602": ("dsl602_unused_named_volume", ("projects",)),
    "DSL603": ("dsl603_missing_bind_source", ("projects",)),
    "DSL604": ("dsl604_writable_config_mount", ("projects",)),
    "DSL701": ("dsl701_sensitive_host_mount", ("projects",)),
}
