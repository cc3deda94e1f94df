package so.second.gateway.settings;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.account.Account;
import so.second.gateway.web.GlobalPrivacyControl;

/**
 * The account menu's usage-data settings (docs/api.md, usage-data settings).
 */
@RestController
@RequestMapping("/api/settings/usage-data")
class UsageDataSettingsController {

	private final UsageDataSettingsService settings;

	UsageDataSettingsController(UsageDataSettingsService settings) {
		this.settings = settings;
	}

	@GetMapping
	UsageDataSettings read(Account account) {
		return this.settings.current(account.id());
	}

	@PutMapping
	UsageDataSettings change(Account account, @RequestBody Map<String, Object> body, HttpServletRequest request) {
		return this.settings.change(account, SettingsChange.parse(body), GlobalPrivacyControl.requested(request));
	}

}
