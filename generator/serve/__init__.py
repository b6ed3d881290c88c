"""`strategy serve`: the preview server that builds again on every save and reloads the browser."""
