"""Evaluation: derive exact metrics (`derive`), compile a pack into durable_rules rulesets
(`compile`), and evaluate a ward in durable_rules to one outcome per rule (`evaluator`)."""
