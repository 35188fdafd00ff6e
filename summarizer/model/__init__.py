"""The model layer: prompts, backend configuration, the model client and the embedded server.

:mod:`.prompts` renders ``prompts/*.j2``; :mod:`.backend` holds configuration
and accounting without importing a client (the CLI starts fast);
:mod:`.llm` is the only module of the package that imports openai,
Instructor and tenacity; :mod:`.local` runs the embedded llama.cpp server.
This ``__init__`` imports nothing, so that loading the configuration never
loads the client libraries.
"""
