"""Pure-Python domain: entities, rules, scoring and analysis. No Qt, no SQLAlchemy.

Modules: ``entities``, ``enums`` and ``validation`` (the data); ``ranking`` (fractional-index
order keys); ``scoring`` (RICE, WSJF, value/effort, MoSCoW, backlog order); ``stakeholders``
(power/interest grid, engagement strategy, trends); ``metrics`` (vanity vs impact, health,
progress); ``problem`` (measurable problem statements, root-cause routing).  Importing this
package imports nothing else.
"""
