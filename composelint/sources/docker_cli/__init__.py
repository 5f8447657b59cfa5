"""The docker/podman/nerdctl command line: the words a front end found and the reader that turns
an invocation into workloads, networks, execs and builds."""
