"""Click-to-call through the office PBX: the desk's side (calls.py), the port a backend
implements (port.py), the backends (asterisk.py over ami.py, zadarma.py) and the one
long-running service that holds the PBX side for every desk (serve.py)."""
