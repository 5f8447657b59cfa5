"""Front ends: each turns one kind of input into the network-config model."""
