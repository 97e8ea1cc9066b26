"""The pages of demand, one module per area. Thin: every view declares its access
(core.access), parses input with a form, calls one service or selector, and renders."""
