"""One plan priced in ten regions on five continents, against figures worked out by hand from the shared
data (Cyclenerd pricing.yml, commit fd66b26f: compute.instance.e2-standard-2.cost.<region>.hour,
compute.storage.balanced.cost.<region>.month, storage.bucket.standard.cost.<region>.month)."""
import pytest

from tests.conftest import close

PLAN = {
    "vm": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 2, "disk_gb": 20},
    "bucket": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 100},
}
# region: (e2-standard-2 USD/hour, pd-balanced USD/GiB-month, Standard storage USD/GiB-month)
SHARED_DATA = {
    "us-east1": ("0.06701142", "0.1", "0.02"),                     # North America
    "us-west2": ("0.08048988", "0.12", "0.023"),
    "southamerica-east1": ("0.1063704", "0.15", "0.035"),         # South America
    "europe-west1": ("0.07371546", "0.1", "0.02"),                 # Europe
    "europe-west3": ("0.08633556", "0.12", "0.023"),
    "europe-west2": ("0.08633556", "0.12", "0.023"),
    "asia-northeast1": ("0.08596572", "0.13", "0.023"),            # Asia
    "asia-southeast1": ("0.08266614", "0.11", "0.02"),
    "australia-southeast1": ("0.095082", "0.135", "0.023"),        # Oceania
    "africa-south1": ("0.07371546", "0.109788", "0.02"),           # Africa
}
# By hand, e.g. europe-west1: 2 x 730 h x 0.07371546 = 107.6245716 (E2 has no sustained-use discount)
#   + 2 x 20 GiB x 0.1 = 4.00 + 100 GiB x 0.02 = 2.00 -> 113.6245716 a month.
EXPECTED = {
    "us-east1": 2 * 730 * 0.06701142 + 40 * 0.1 + 100 * 0.02,            # 103.8366732
    "us-west2": 2 * 730 * 0.08048988 + 40 * 0.12 + 100 * 0.023,          # 124.6152248
    "southamerica-east1": 2 * 730 * 0.1063704 + 40 * 0.15 + 100 * 0.035,  # 164.800784
    "europe-west1": 2 * 730 * 0.07371546 + 40 * 0.1 + 100 * 0.02,        # 113.6245716
    "europe-west3": 2 * 730 * 0.08633556 + 40 * 0.12 + 100 * 0.023,      # 133.1499176
    "europe-west2": 2 * 730 * 0.08633556 + 40 * 0.12 + 100 * 0.023,      # 133.1499176
    "asia-northeast1": 2 * 730 * 0.08596572 + 40 * 0.13 + 100 * 0.023,   # 133.0099512
    "asia-southeast1": 2 * 730 * 0.08266614 + 40 * 0.11 + 100 * 0.02,    # 127.0925644
    "australia-southeast1": 2 * 730 * 0.095082 + 40 * 0.135 + 100 * 0.023,  # 146.51972
    "africa-south1": 2 * 730 * 0.07371546 + 40 * 0.109788 + 100 * 0.02,  # 114.01609
}


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_plan_priced_in_region_matches_the_hand_figure(priced, region):
    report = priced(PLAN, region=region)
    assert abs(float(report.total_usd) - EXPECTED[region]) <= 0.01 * EXPECTED[region]
    assert close(report.total_usd, EXPECTED[region], 4)
