"""systemd units and Podman Quadlet units: unit-file syntax, `ExecStart=` command lines, Quadlet keys
as podman flags."""
