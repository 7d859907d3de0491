"""Fixes: what a rule wants changed (an intent, in the model's terms), and the text edits that do it.

Rules never touch text: they attach an intent to a finding (`SetTarget(mount, "/var/lib/postgresql")`),
and `edits` turns it into edits of exact ranges of the file as written, per syntax (a Compose entry in short
or long syntax, a `docker run` flag, a Dockerfile instruction), keeping comments, quoting, block or flow
style and line endings. An intent that cannot be done safely in the text at hand (a flow mapping where a
line would be added, an entry other containers share through an anchor) gets no fix.
"""
