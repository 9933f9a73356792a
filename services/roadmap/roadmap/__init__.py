"""The roadmap service: where each idea stands (open → under review → planned → in progress → launched, or
declined), who moved it, when, and the public message its subscribers receive."""
