"""Which browsers get the phone variant of tables and maps (ui/phone.py decides on the server, from the
request's User-Agent)."""
import pytest
from browser import PHONE_UA

from dashboard.ui import phone

PHONES = [PHONE_UA,
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0",
          "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile "
          "Safari/537.36 MicroMessenger/8.0.49"]      # WeChat's browser on Android
DESKTOPS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
            "Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
            "Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 "
            "Safari/537.36", "", None]


@pytest.mark.parametrize("agent", PHONES)
def test_a_phone_is_a_phone(agent):
    assert phone.is_phone_agent(agent)


@pytest.mark.parametrize("agent", DESKTOPS)
def test_a_desktop_is_not(agent):
    assert not phone.is_phone_agent(agent)
