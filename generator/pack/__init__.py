"""The board pack: an A4 PDF of the plan for a board (`strategy pack`, `strategy build --pack`)."""
