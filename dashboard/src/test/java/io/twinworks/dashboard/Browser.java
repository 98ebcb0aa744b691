package io.twinworks.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Debian's headless Chromium driven by Debian's chromedriver through Selenium. Both paths are given
 * explicitly (and Selenium Manager is offline), so nothing is ever downloaded; a missing browser fails
 * the test loudly (./run-tests installs both). Public, and shipped in this module's test jar, for the
 * integration tests' screenshots of a real {@code up --demo}.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final WebDriver driver;
    private final Path profile;

    public Browser(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            profile = Files.createTempDirectory("twinworks-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    /** The text of the first element matching the CSS selector now ('' when there is none), read in one script. */
    public String text(String css) {
        Object text = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return text == null ? "" : text.toString().trim();
    }

    /** Scrolls the element into view and clicks it as a user would (Selenium refuses a click another element would receive). */
    public void click(String css) {
        WebElement element = find(css);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    /** Runs a script returning an array of strings (one consistent read of a live-updating page). */
    @SuppressWarnings("unchecked")
    public java.util.List<String> strings(String script) {
        Object result = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script);
        return result == null ? java.util.List.of() : ((java.util.List<Object>) result).stream()
                .map(value -> value == null ? "" : value.toString()).toList();
    }

    /** Signs in through the page's form (credentials end up in sessionStorage, sent as Basic auth). */
    public void signIn(String baseUrl, String user, String password) {
        open(baseUrl);
        driver.manage().deleteAllCookies();
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("sessionStorage.clear(); location.hash = '#/fleet';");
        driver.navigate().refresh();
        waitFor(Duration.ofSeconds(10), d -> d.findElement(By.id("login-user")).isDisplayed());
        find("#login-user").sendKeys(user);
        find("#login-password").sendKeys(password);
        find("#login-form button[type=submit]").click();
        waitFor(Duration.ofSeconds(10), d -> d.findElement(By.id("session")).isDisplayed());
    }

    /** Saves a PNG under target/screenshots (a test artefact). */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A screenshot as tall as the page (the window grows for it, then returns to its size). */
    public Path screenshotOfWholePage(String name) {
        org.openqa.selenium.Dimension size = driver.manage().window().getSize();
        Object height = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(),
                Math.min(4000, ((Number) height).intValue() + 120)));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
