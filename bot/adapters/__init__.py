"""Channel adapters: one package per platform (slack, teams, web); `contract.py` says what
each implements."""
