"""Speech-to-Text and Document AI, by hand from the catalog's unit prices (speech_to_text.yaml, document_ai.yaml)."""
import pytest

from tests.conftest import close, items, write_plan
from tests.pricing.test_platform_kinds import cli_error


def test_speech_v2_standard_minutes_in_the_first_band(priced):
    report = priced({"stt": {"kind": "speech_to_text", "minutes_per_month": 6000}}, free_tiers=True)
    assert close(report.total_usd, 6000 * 0.016, 2)  # $96.00: the V2 table has no free minutes


def test_speech_v2_standard_bands_accumulate_over_the_month(priced):
    report = priced({"stt": {"kind": "speech_to_text", "minutes_per_month": 1_200_000}})
    assert close(report.total_usd, 500_000 * 0.016 + 500_000 * 0.010 + 200_000 * 0.008, 2)  # $14,600.00


def test_speech_v2_above_two_million_minutes(priced):
    report = priced({"stt": {"kind": "speech_to_text", "minutes_per_month": 2_500_000}})
    expected = 500_000 * 0.016 + 500_000 * 0.010 + 1_000_000 * 0.008 + 500_000 * 0.004  # $23,000.00
    assert close(report.total_usd, expected, 2)


def test_speech_v1_standard_after_the_free_60_minutes(priced):
    # cotton-erp's external Speech item at V1's $0.024: (6,000 - 60) x 0.024 = $142.56
    report = priced({"stt": {"kind": "speech_to_text", "api": "v1", "minutes_per_month": 6000}}, free_tiers=True)
    assert close(report.total_usd, (6000 - 60) * 0.024, 2)


def test_speech_other_models_and_processing(priced):
    report = priced({
        "batch": {"kind": "speech_to_text", "processing": "dynamic_batch", "minutes_per_month": 10_000},
        "med2": {"kind": "speech_to_text", "model": "medical", "minutes_per_month": 1000},
        "logged": {"kind": "speech_to_text", "api": "v1", "data_logging": True, "minutes_per_month": 1000},
        "med1": {"kind": "speech_to_text", "api": "v1", "model": "medical", "minutes_per_month": 1000}})
    got = items(report)
    assert close(got["v2/standard_dynamic_batch"], 10_000 * 0.003, 2)
    assert close(got["v2/medical"], 1000 * 0.078, 2)
    assert close(got["v1/standard_data_logging"], 1000 * 0.016, 2)
    assert close(got["v1/medical"], 1000 * 0.078, 2)


@pytest.mark.parametrize("fields, message", [
    ({"api": "v1", "processing": "dynamic_batch"}, "dynamic_batch"),
    ({"model": "medical", "data_logging": True}, "data_logging")])
def test_speech_unpriced_combination_is_one_line(tmp_path, fields, message):
    path = write_plan(tmp_path, {"stt": {"kind": "speech_to_text", "minutes_per_month": 10, **fields}})
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and message in err


def test_document_ai_ocr_pages(priced):
    report = priced({"ocr": {"kind": "document_ai", "pages_per_month": 20_000}}, free_tiers=True)
    assert close(report.total_usd, 20_000 * 1.50 / 1000, 2)  # $30.00


def test_document_ai_above_five_million_pages_keeps_the_first_band_rate(priced):
    report = priced({"ocr": {"kind": "document_ai", "pages_per_month": 6_000_000}})
    assert close(report.total_usd, 6_000_000 * 1.50 / 1000, 2)  # $9,000.00: no lower rate is cited
