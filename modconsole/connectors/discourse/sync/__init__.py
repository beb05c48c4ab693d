"""The Discourse sync: the engine (:mod:`.engine`) runs small stages (one module per concern) over
one shared run context (:mod:`.base`); :mod:`.run` holds the options, the report and the row
helpers; :mod:`.bulk` the Data Explorer mirror."""
