"""The whole workflow in a real Chromium: a contributor registers, is screened and submits an
entry in Arabic; a moderator requests a change, then publishes; a visitor reads it in English
with the original-language mark. Screenshots go to var/screenshots/."""

import re

import pytest
from django.core import mail

from stocktake.initiatives.models import Initiative, Status

from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]

SUMMARY_AR = " ".join(
    ["منصة وطنية تساعد المواطنين على الوصول إلى الخدمات الحكومية الرقمية بسهولة وأمان."] * 15
)


def login(page, base: str, username: str, password: str, language: str = "en") -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def logout(page) -> None:
    page.context.clear_cookies()


def test_register_screen_submit_in_arabic_review_publish_and_read_in_english(
    live_server, page, screenshot_dir
):
    base = live_server.url
    make_user(moderator=True, username="moderator", password="moderator-password-1")
    shots = screenshot_dir

    # 1. A contributor registers in Arabic and confirms the e-mail.
    page.goto(f"{base}/ar/accounts/register/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=username]", "salma")
    page.fill("input[name=email]", "salma@example.org")
    page.fill("input[name=first_name]", "سلمى")
    page.fill("input[name=password]", "a-long-password-2026")
    page.fill("input[name=password_confirm]", "a-long-password-2026")
    page.fill("textarea[name=registration_note]", "وزارة الاقتصاد الرقمي، مسؤولة عن البيانات")
    page.screenshot(path=str(shots / "workflow-1-register-ar.png"), full_page=True)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    link = re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body)[0]
    page.goto(link.replace("http://testserver", base).replace("http://127.0.0.1:8000", base))
    page.locator("main form button[type=submit]").first.click()  # confirming is a POST
    page.wait_for_load_state()

    # 2. A moderator screens the account.
    login(page, base, "moderator", "moderator-password-1")
    page.goto(f"{base}/en/accounts/screening/")
    page.screenshot(path=str(shots / "workflow-2-screening.png"), full_page=True)
    page.locator("button[value=approve]").first.click()
    page.wait_for_load_state()
    logout(page)

    # 3. The contributor registers the organisation and submits an entry in Arabic.
    login(page, base, "salma", "a-long-password-2026", language="ar")
    page.goto(f"{base}/ar/organisations/new/")
    page.fill("input[name=name]", "وزارة الاقتصاد الرقمي")
    page.select_option("select[name=language]", "ar")
    page.select_option("select[name=stakeholder_type]", "government")
    page.select_option("select[name=country]", "JO")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/members/"))

    page.goto(f"{base}/ar/initiatives/new/")
    page.select_option("select[name=original_language]", "ar")
    page.fill("input[name=title]", "بوابة الخدمات الحكومية الذكية")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/edit/1/.*"))
    page.fill("textarea[name=summary]", SUMMARY_AR)
    assert "150" in page.locator(".word-count").inner_text()  # live word count
    page.screenshot(path=str(shots / "workflow-3-step1-ar.png"), full_page=True)
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/edit/2/.*"))
    page.fill("textarea[name=description]", "تقدم البوابة **أكثر من مئة خدمة** رقمية.")
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/edit/3/.*"))
    page.locator("input[name=action_line_primary][value='C7.1']").check()
    page.locator("input[name=sdg_goals][value='16']").check()
    page.locator("input[name=technologies][value='artificial-intelligence']").check()
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/edit/4/.*"))
    page.locator("input[name=countries][value='JO']").check()
    page.select_option("select[name=initiative_type]", "platform-service")
    page.select_option("select[name=implementation_status]", "ongoing")
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/edit/5/.*"))
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/review/.*"))
    page.screenshot(path=str(shots / "workflow-4-review-ar.png"), full_page=True)
    page.locator("main form[action$='/act/submit/'] button[type=submit]").click()
    page.wait_for_load_state()
    initiative = Initiative.objects.get()
    assert initiative.status == Status.SUBMITTED
    logout(page)

    # 4. The moderator requests a change, the contributor answers, the moderator publishes.
    login(page, base, "moderator", "moderator-password-1")
    page.goto(f"{base}/en/initiatives/moderation/")
    page.screenshot(path=str(shots / "workflow-5-queue.png"), full_page=True)
    page.goto(f"{base}/en/initiatives/{initiative.pk}/compare/")
    page.locator("form[action$='/act/request_changes/'] textarea[name=note]").fill(
        "Please add the SDG target."
    )
    page.locator("form[action$='/act/request_changes/'] button[type=submit]").click()
    page.wait_for_load_state()
    initiative.refresh_from_db()
    assert initiative.status == Status.CHANGES_REQUESTED
    logout(page)

    login(page, base, "salma", "a-long-password-2026", language="ar")
    page.goto(f"{base}/ar/initiatives/{initiative.pk}/edit/3/")
    page.locator("input[name=sdg_targets][value='16.6']").check(force=True)
    page.locator("button[name=save_next]").click()
    page.wait_for_url(re.compile(r".*/edit/4/.*"))
    page.goto(f"{base}/ar/initiatives/{initiative.pk}/review/")
    page.locator("main form[action$='/act/submit/'] button[type=submit]").click()
    page.wait_for_load_state()
    logout(page)

    login(page, base, "moderator", "moderator-password-1")
    page.goto(f"{base}/en/initiatives/{initiative.pk}/compare/")
    page.screenshot(path=str(shots / "workflow-6-compare.png"), full_page=True)
    page.locator("form[action$='/act/publish/'] button[type=submit]").click()
    page.wait_for_load_state()
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    logout(page)

    # 5. A visitor reads it in English, with the original-language mark.
    page.goto(f"{base}/en/initiatives/{initiative.pk}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "بوابة الخدمات الحكومية الذكية" in page.locator("h1").inner_text()
    assert page.get_by_text("Original in Arabic").first.is_visible()
    assert page.locator("[lang=ar]").first.is_visible()
    page.screenshot(path=str(shots / "workflow-7-visitor-en.png"), full_page=True)
