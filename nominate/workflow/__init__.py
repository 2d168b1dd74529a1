"""The 两审三公示 workflow: definition from workflows/, one shared machine, guards and the engine."""
