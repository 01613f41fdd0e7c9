"""Pure parsing of course content: text in, frozen dataclasses and problems out.

Nothing here imports Django or touches the file system; the loader reads files and hands text in.
"""
