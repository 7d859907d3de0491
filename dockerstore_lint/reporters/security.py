"""Which rules are about security, for the reports whose consumers keep security issues apart (SARIF's
`security` tag and `security-severity`, SonarQube's SECURITY quality).

A rule is a security rule when what it finds hands a compromised container something beyond itself: control
of the host or its credentials. That is DSL701 alone (the Docker socket, the host's root and system
directories, SSH and cloud credentials). Not security rules, though near it: DSL202 (no USER) is
hardening inside the container, and flags every image whose user is unknown; DSL604 (a writable config
file) exposes a project file, not the host; DSL201 (root-owned files in a bind mount) is about ownership.
GitHub shows every result of a rule with a `security-severity` as a security alert, so a rule belongs
here only when each of its findings deserves one.
"""

# code -> CVSS v3.1 base score as code scanning reads it (a string; 7.0-8.9 is "high"). DSL701: a process
# already running in the container (AV:L/AC:L/PR:L/UI:N) takes over the host (S:C/C:H/I:H/A:H) = 8.8.
SECURITY_SEVERITY = {"DSL701": "8.8"}
