"""Serializers: read serializers shape responses, `…WriteSerializer`s check the shape and
types of request bodies (never a domain rule: the services and models own those)."""
