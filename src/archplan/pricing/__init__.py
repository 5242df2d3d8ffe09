"""One pricer per component kind (pricing/<kind>.py, a `price(component, ctx)` function returning
Charges); this package's base module holds what they share."""
