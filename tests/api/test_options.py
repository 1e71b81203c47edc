"""OPTIONS describes each endpoint; for writers it lists the fields a POST or PUT takes."""


def test_options_lists_the_write_fields_to_a_curator(curator_client, world):
    body = curator_client.options("/api/v1/claims/").json()
    assert list(body["actions"]["POST"]) == [
        "subject",
        "predicate",
        "object",
        "value",
        "value_number",
        "event",
        "attributed_to",
        "attribution",
        "modality",
        "polarity",
        "confidence",
        "notes",
        "date",
        "date_text",
        "spans",
    ]


def test_options_describes_without_write_fields_to_anonymous_clients(api_client, world):
    response = api_client.options(f"/api/v1/people/{world.lavrov.pk}/")
    assert response.status_code == 200
    assert "actions" not in response.json()


def test_options_on_a_reviewer_action_is_allowed_to_anyone(api_client, world):
    response = api_client.options(f"/api/v1/claims/{world.published.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["name"] == "Publish"
