"""A branch's home page: what the coordinator should do next, at a glance."""
