"""The Textual user interface: screens, dialogs and widgets over `planner.session`.

Thin by design: widgets show what the session holds and post messages; screens call the
session and re-render. Nothing here computes a plan or opens a plan file.
"""
