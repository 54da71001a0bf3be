PLACEHOLDER - not a SavedModel graph (saved_model.pb).
modelship example: a few bytes standing in for real model files so the image can be built
and inspected. The server cannot load it. See examples/models/README.md.
