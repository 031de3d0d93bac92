"""Jobs that join the stages: speech -> mouth track -> frames -> file."""
