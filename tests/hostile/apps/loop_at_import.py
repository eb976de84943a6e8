"""An endless loop at import: the app is never defined."""
# says: did not finish loading
# @starter
while True:
    pass
