"""Run inside `manage.py shell`: print every API answer a client can get, as one JSON
document: every page of every list endpoint and every detail, anonymously and as a
curator (who also sees drafts). Two databases holding the same data print the same text."""

import json

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from api.urls import router

DETAILS_PER_RESOURCE = 30


def _pages(client, url):
    pages = []
    while url:
        response = client.get(url)
        pages.append([response.status_code, response.json()])
        url = response.json().get("next") if response.status_code == 200 else None
    return pages


def snapshot() -> dict:
    curator = APIClient()
    curator.force_authenticate(get_user_model().objects.get(username="rt-curator"))
    out = {}
    for role, client in (("anonymous", APIClient()), ("curator", curator)):
        for prefix, viewset, _ in router.registry:
            pages = _pages(client, f"/api/v1/{prefix}/?page_size=200")
            out[f"{role} {prefix}"] = pages
            lookup = "slug" if viewset.lookup_field == "slug" else "id"
            rows = [row for _, page in pages for row in page.get("results", [])]
            # Details of the first rows of each resource (250 countries would add nothing but time).
            for item in rows[:DETAILS_PER_RESOURCE]:
                response = client.get(f"/api/v1/{prefix}/{item[lookup]}/")
                out[f"{role} {prefix}/{item[lookup]}"] = [response.status_code, response.json(), response["ETag"]]
        for document in client.get("/api/v1/documents/?page_size=200").json()["results"]:
            response = client.get(f"/api/v1/documents/{document['id']}/annotations/")
            out[f"{role} documents/{document['id']}/annotations"] = [response.status_code, response.json()]
        for entity in client.get("/api/v1/claims/?page_size=200").json()["results"]:
            path = f"/api/v1/entities/{entity['subject']['id']}/timeline/"
            response = client.get(path)
            out[f"{role} {path}"] = [response.status_code, response.json()]
    return out


print(json.dumps(snapshot(), sort_keys=True, ensure_ascii=False))
