"""Services between dialogs and storage: rounds, profiles, summaries, charts, export."""
