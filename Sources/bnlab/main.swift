print("bnlab")
