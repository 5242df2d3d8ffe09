"""SEC-008 with data_residency naming a group (EU, EEA) or a continent: every region, dual-region and
multi-region location the plan keeps data in, against the group's countries (catalog residency_groups; the
regions' countries from Google's region descriptions)."""
from archplan import catalog
from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}
EU = {"region": "europe-west1", "data_residency": "EU"}


def _details(report):
    return [f.detail for f in ids(report, "SEC-008")]


def test_the_groups_are_the_published_lists():
    groups = catalog.residency_groups()
    assert len(groups["EU"]["countries"]) == 27  # since the United Kingdom left on 2020-02-01
    assert set(groups["EEA"]["countries"]) == set(groups["EU"]["countries"]) | {"Iceland", "Liechtenstein", "Norway"}
    eu = catalog.residency("EU")
    inside = sorted(r for r in catalog.regions() if eu.holds_region(r))
    # 11 of the 13 European regions; London (United Kingdom) and Zurich (Switzerland) are outside
    assert len(inside) == 11 and "europe-west2" not in inside and "europe-west6" not in inside
    assert inside == sorted(r for r in catalog.regions() if catalog.residency("EEA").holds_region(r))


def test_regions_outside_the_eu(check):
    report = check({"api": {**RUN, "region": "europe-west2"},
                    "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10,
                           "cross_region_replicas": [{"region": "europe-west6"}]},
                    "files": {"kind": "cloud_storage", "location_type": "region", "location": "us-central1",
                              "storage_gb": 1}}, EU)
    details = _details(report)
    assert "api runs in europe-west2 (United Kingdom)." in details
    assert "db replicates to europe-west6 (Switzerland)." in details
    assert "files is in us-central1 (United States)." in details
    assert all("inside the EU (European Union)" in f.fix for f in ids(report, "SEC-008"))


def test_eu_locations_are_inside_and_asia_is_not(check):
    inside = check({"api": {**RUN, "region": "europe-west3"},
                    "eu-bucket": {"kind": "cloud_storage", "location_type": "multi-region", "location": "eu",
                                  "storage_gb": 1},
                    "eur4-bucket": {"kind": "cloud_storage", "location_type": "dual-region", "location": "eur4",
                                    "storage_gb": 1},
                    "pair": {"kind": "cloud_storage", "location_type": "dual-region", "location": "eu",
                             "data_locations": ["europe-west1", "europe-west4"], "storage_gb": 1},
                    "docs": {"kind": "firestore", "location": "eur3", "stored_gb": 1, "reads_per_month": 1,
                             "writes_per_month": 1},
                    "spanner": {"kind": "spanner", "config": "eur3", "edition": "ENTERPRISE_PLUS",
                                "processing_units": 100}}, EU)
    assert _details(inside) == []
    outside = check({"asia-bucket": {"kind": "cloud_storage", "location_type": "multi-region", "location": "asia",
                                     "storage_gb": 1},
                     "spanner": {"kind": "spanner", "config": "nam-eur-asia1", "edition": "ENTERPRISE_PLUS",
                                 "processing_units": 1000}}, EU)
    details = _details(outside)
    assert "asia-bucket is a multi-region bucket (asia), which stores data in several countries of Asia, outside the EU " \
           "(European Union)." in details
    assert ("spanner is in nam-eur-asia1, a multi-region location that stores data in United States, Belgium, "
            "Netherlands, Taiwan, outside the EU (European Union).") in details


def test_a_country_inside_the_eu_refuses_the_eu_multi_region(check):
    # data_residency Germany: the EU multi-region may keep the data in any member state
    report = check({"b": {"kind": "cloud_storage", "location_type": "multi-region", "location": "eu",
                          "storage_gb": 1}}, {"region": "europe-west3", "data_residency": "Germany"})
    assert _details(report) == ["b is a multi-region bucket (eu), which stores data in more than one country."]
    us = check({"b": {"kind": "cloud_storage", "location_type": "multi-region", "location": "us", "storage_gb": 1}},
               {"region": "us-central1", "data_residency": "United States"})
    assert _details(us) == []  # the US multi-region stays in the United States


def test_a_continent(check):
    europe = {"region": "europe-west2", "data_residency": "Europe"}
    report = check({"api": {**RUN, "region": "europe-west6"},
                    "away": {**RUN, "region": "me-west1"}}, europe)
    assert _details(report) == ["away runs in me-west1 (Israel)."]  # London and Zurich are in Europe
