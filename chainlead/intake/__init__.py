"""``chainlead intake``: the working team's demand sheet into enterprises and items.

``sheet`` opens an .xlsx or .csv safely; ``columns`` finds the header row and
what each column holds; ``values`` reads dates and text; ``demands`` makes a
demand of each row (no database); ``plan`` says what each row does to a
chain's list, and takes it in the caller's transaction.
"""
