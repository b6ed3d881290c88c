"""`strategy diff`: what changed between two revisions of a plan, and why, as text, Markdown or JSON."""
