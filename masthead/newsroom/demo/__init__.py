"""Demo content for a fictional newsroom, used by the `load_demo` management command."""
