"""Front ends: each turns one kind of input into the network-config model.

`compose/` loads Compose projects; `docker_cli/` reads docker/podman/nerdctl command lines, which
`shell/` (scripts), `units/` (systemd, Quadlet), `embedded/` (Markdown, CI files, Makefiles, bats)
and `devcontainer.py` find; `files.py` (the one safe reader), `kinds.py` (the front end of each
kind), `directives.py` and `ports.py` (the port grammar) serve them all.
"""
