package so.second.gateway.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, headless, driven by its own chromedriver: never a browser or driver
 * that Selenium Manager would download. Where either is missing the calling test class is
 * skipped, so a machine with only a JDK still passes {@code ./mvnw verify}; CI installs
 * both ({@code .ci/run}).
 */
final class Chrome implements AutoCloseable {

	static final Path CHROMIUM = Path.of(setting("second.test.chromium", "SECOND_TEST_CHROMIUM", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path
		.of(setting("second.test.chromedriver", "SECOND_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

	static final Duration WAIT = Duration.ofSeconds(15);

	static final String NOT_INSTALLED = "Real-browser tests skipped: chromium or chromedriver is missing (by default "
			+ "/usr/bin/chromium and /usr/bin/chromedriver; SECOND_TEST_CHROMIUM and SECOND_TEST_CHROMEDRIVER point "
			+ "elsewhere). Install them with `apt-get install -y chromium chromium-driver` (as .ci/run does).";

	private final ChromeDriver driver;

	private final Path profile;

	private final String baseUrl;

	private Chrome(ChromeDriver driver, Path profile, String baseUrl) {
		this.driver = driver;
		this.profile = profile;
		this.baseUrl = baseUrl;
	}

	/**
	 * Starts a browser for a gateway on this machine, or skips the calling tests when
	 * Chromium or chromedriver is not installed.
	 * @param port the gateway's port; pages are opened at
	 * {@code http://127.0.0.1:<port>}, the address the cookies are set for
	 */
	static Chrome startOrSkip(int port) {
		assumeTrue(installed(), NOT_INSTALLED);
		Path profile;
		try {
			profile = Files.createTempDirectory("second-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-quic", "--window-size=1280,1400", "--user-data-dir=" + profile);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new Chrome(new ChromeDriver(service, options), profile, "http://127.0.0.1:" + port);
	}

	/** Whether Chromium and its driver are there to be driven. */
	/**
	 * Whether the browser tests can run here. Under {@code CI=true} a missing browser is
	 * an error, not a skip: a CI run that silently skipped the only JS-versus-Java checks
	 * would stay green while proving nothing about the browser.
	 */
	static boolean installed() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true, but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: the "
					+ "browser tests must run in CI. Install chromium and chromium-driver, or point "
					+ "SECOND_TEST_CHROMIUM and SECOND_TEST_CHROMEDRIVER at a Chrome and its driver.");
		}
		return installed;
	}

	/** A path from a system property, else an environment variable, else the default. */
	private static String setting(String property, String variable, String otherwise) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			value = System.getenv(variable);
		}
		return (value == null || value.isBlank()) ? otherwise : value;
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** Opens a gateway page and waits until its script says it is ready. */
	void open(String path) {
		this.driver.get(this.baseUrl + path);
		waitUntilReady();
	}

	void reload() {
		this.driver.navigate().refresh();
		waitUntilReady();
	}

	void waitUntilReady() {
		new WebDriverWait(this.driver, WAIT)
			.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	WebDriverWait waiting() {
		return new WebDriverWait(this.driver, WAIT);
	}

	Object js(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	/**
	 * Runs an async function body in the page ({@code await} allowed) and returns its
	 * result; a thrown error fails the test with its message.
	 */
	Object async(String body, Object... args) {
		String script = "const done = arguments[arguments.length - 1];" + "(async (...args) => {" + body
				+ "})(...Array.from(arguments).slice(0, -1))"
				+ ".then(done, (e) => done({ __error: String(e && e.message || e) }));";
		Object result = ((JavascriptExecutor) this.driver).executeAsyncScript(script, args);
		if (result instanceof Map<?, ?> map && map.containsKey("__error")) {
			throw new AssertionError("in the page: " + map.get("__error"));
		}
		return result;
	}

	/**
	 * A fresh start for the next test: no cookies and no storage for the gateway's
	 * origin, the normal network, no extra headers, light mode, the usual window, and
	 * only one tab.
	 */
	void forgetEverything() {
		String first = this.driver.getWindowHandles().iterator().next();
		for (String handle : this.driver.getWindowHandles()) {
			if (!handle.equals(first)) {
				this.driver.switchTo().window(handle).close();
			}
		}
		this.driver.switchTo().window(first);
		cdp("Network.enable", Map.of());
		network(true);
		cdp("Network.setBlockedURLs", Map.of("urls", List.of()));
		cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
		colorScheme("light");
		this.driver.manage().window().setSize(new Dimension(1280, 1400));
		this.driver.get(this.baseUrl + "/app/app.css");
		this.driver.manage().deleteAllCookies();
		js("localStorage.clear(); sessionStorage.clear();");
		console(); // forget what earlier tests logged
	}

	/** A Chrome DevTools Protocol command in the current tab. */
	Map<String, Object> cdp(String command, Map<String, ?> parameters) {
		return this.driver.executeCdpCommand(command, new java.util.LinkedHashMap<>(parameters));
	}

	/**
	 * Online, or offline as when the connection drops (fetch fails, navigator.onLine
	 * false).
	 */
	void network(boolean online) {
		cdp("Network.emulateNetworkConditions",
				Map.of("offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
	}

	/** Requests to URLs matching these patterns fail as a network failure would. */
	void block(String... urlPatterns) {
		cdp("Network.setBlockedURLs", Map.of("urls", List.of(urlPatterns)));
	}

	/** Sends this header with every request of this tab from now on. */
	void header(String name, String value) {
		cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of(name, value)));
	}

	/** {@code light} or {@code dark}: what {@code prefers-color-scheme} answers. */
	void colorScheme(String scheme) {
		cdp("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	void windowSize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	/** Opens a gateway page without waiting for its script. */
	void openWithoutWaiting(String path) {
		this.driver.get(this.baseUrl + path);
	}

	/** Console entries of level SEVERE since the last {@link #console()} call. */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::toString)
			.toList();
	}

	/**
	 * Writes a screenshot to {@code target/screenshots/<name>.png} for a person to look
	 * at.
	 */
	Path screenshot(String name) {
		try {
			Path target = Path.of("target", "screenshots", name + ".png");
			Files.createDirectories(target.getParent());
			// The whole page, not just the window: grow the window to the
			// page's height for the shot.
			Dimension window = this.driver.manage().window().getSize();
			long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
			this.driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 160, 4000)));
			try {
				Path shot = this.driver.getScreenshotAs(OutputType.FILE).toPath();
				Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				this.driver.manage().window().setSize(window);
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The browser console since the last call: CSP violations and script errors show up
	 * here.
	 */
	List<String> console() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
			catch (IOException ex) {
				// a temporary directory; the OS cleans it eventually
			}
		}
	}

}
