"""Item models over the services: Qt's model/view adapters for LDPM's data."""
