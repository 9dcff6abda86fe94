"""SQLAlchemy, the .ldpm file format, migrations, working copies, backups and clocks."""
