"""The rules, one file each; this package installs as `dockerstore_lint.rules`."""
