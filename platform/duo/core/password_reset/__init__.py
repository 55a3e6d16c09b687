"""Reset of a forgotten staff password by e-mail link (see :mod:`.views`)."""
