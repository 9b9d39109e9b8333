"""The OpenSearch description browsers read to add the site as a search engine."""

from xml.etree import ElementTree

import pytest

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


@pytest.mark.parametrize(
    ("path", "language", "search_url"),
    [
        ("/opensearch.xml", "en", "http://testserver/search/"),
        ("/fr/opensearch.xml", "fr", "http://testserver/fr/search/"),
        ("/zh-hans/opensearch.xml", "zh-Hans", "http://testserver/zh-hans/search/"),
    ],
)
def test_description_per_language(newsroom, client, path, language, search_url):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    assert root.find("os:ShortName", NS).text == "The Test Ledger"
    assert root.find("os:InputEncoding", NS).text == "UTF-8"
    assert root.find("os:Language", NS).text == language
    html_url = root.find("os:Url[@type='text/html']", NS)
    assert html_url.get("template") == f"{search_url}?q={{searchTerms}}"
    assert html_url.get("method") == "get"


def test_short_name_is_cut_to_sixteen_characters_and_escaped(newsroom, client):
    newsroom.site.site_name = "Tom & Jerry's <Very> Long Gazette"
    newsroom.site.save()

    root = ElementTree.fromstring(client.get("/opensearch.xml").content)  # noqa: S314

    assert root.find("os:ShortName", NS).text == "Tom & Jerry's <V"
    assert "Tom & Jerry's <Very> Long Gazette" in root.find("os:Description", NS).text
