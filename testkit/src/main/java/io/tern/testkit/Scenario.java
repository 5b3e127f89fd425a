package io.tern.testkit;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A raw-protocol test as data: broker config text plus a list of steps (open a connection, send
 * bytes, expect an exact line, an error, a close, silence, a message, sleep) over named
 * connections. The same scenario runs against any {@link Broker}, so one list of scenarios serves
 * both plain integration tests and differential tests against the reference server.
 *
 * <p>Steps act on the <em>current</em> connection: the one last {@link Builder#open opened} or
 * selected with {@link Builder#on}.
 */
public final class Scenario {

  /** How long {@link Builder#expectNothing()} watches the wire. */
  public static final Duration QUIET_WINDOW = Duration.ofMillis(250);

  /** One action with a description for failure messages. */
  public record Step(String description, Consumer<ScenarioRun> action) {
  }

  /** A regex replacement applied to normalised transcript lines, for legitimately varying bytes. */
  public record Rewrite(Pattern pattern, String replacement) {
  }

  private final String name;
  private final String config;
  private final List<Step> steps;
  private final List<Rewrite> rewrites;

  private Scenario(Builder b) {
    this.name = b.name;
    this.config = b.config;
    this.steps = List.copyOf(b.steps);
    this.rewrites = List.copyOf(b.rewrites);
  }

  /** Starts describing a scenario. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** NATS-format config text the broker must be started with. */
  public String config() {
    return config;
  }

  public List<Step> steps() {
    return steps;
  }

  public List<Rewrite> rewrites() {
    return rewrites;
  }

  /**
   * Runs every step against {@code broker} (already started with {@link #config()}). Connections
   * are closed afterwards; the returned run still holds their transcripts.
   *
   * @throws AssertionError naming the scenario, step and broker when an expectation fails
   */
  public ScenarioRun run(Broker broker) {
    ScenarioRun run = new ScenarioRun(this, broker);
    try {
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        try {
          step.action().accept(run);
        } catch (AssertionError | RuntimeException e) {
          AssertionError failure = new AssertionError("scenario '" + name + "' on "
              + broker.name() + ", step " + (i + 1) + " [" + run.currentName() + "] "
              + step.description() + ": " + e.getMessage(), e);
          throw failure;
        }
      }
      return run;
    } finally {
      run.closeAll();
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds a {@link Scenario}; every method appends one step unless it says otherwise. */
  public static final class Builder {
    private final String name;
    private String config = "";
    private String current;
    private final List<Step> steps = new ArrayList<>();
    private final List<Rewrite> rewrites = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    /** Sets the broker config text (not a step). */
    public Builder config(String config) {
      this.config = config;
      return this;
    }

    /** Opens connection {@code conn}, reads its INFO, and makes it current. */
    public Builder open(String conn) {
      current = conn;
      return add("open", run -> run.open(conn));
    }

    /** Makes {@code conn} the current connection (not a step). */
    public Builder on(String conn) {
      current = conn;
      return this;
    }

    /** Lets the current connection's expectations see server-initiated PINGs. */
    public Builder serverPingsVisible() {
      return onClient("server pings visible", c -> c.serverPingsVisible(true));
    }

    /** Checks the INFO the current connection received on open. */
    public Builder expectInfo(String what, Consumer<JsonObject> check) {
      return onClient("expect INFO " + what, c -> check.accept(c.info()));
    }

    /** Checks the INFO the current connection received on open against the broker it came from. */
    public Builder expectInfo(String what, java.util.function.BiConsumer<JsonObject, Broker> check) {
      String conn = requireCurrent(what);
      return add("expect INFO " + what, run -> check.accept(run.select(conn).info(), run.broker()));
    }

    /** Checks the raw INFO line (without CRLF) the current connection received on open. */
    public Builder expectInfoLineMatching(String regex) {
      return onClient("expect INFO line ~ " + regex, c -> {
        if (!Pattern.compile(regex).matcher(c.infoLine()).matches()) {
          throw new AssertionError("INFO line " + RawClient.quote(c.infoLine())
              + " does not match " + regex);
        }
      });
    }

    /** Sends {@code text} in one write. */
    public Builder send(String text) {
      return onClient("send " + RawClient.quote(text), c -> c.send(text));
    }

    /** Sends {@code bytes} in one write. */
    public Builder send(byte[] bytes) {
      return onClient("send " + bytes.length + " bytes", c -> c.send(bytes));
    }

    /** Sends {@code text} one byte per write. */
    public Builder sendBytewise(String text) {
      return onClient("send bytewise " + RawClient.quote(text), c -> c.sendBytewise(text));
    }

    /** Expects the next line to be exactly {@code line} (no CRLF). */
    public Builder expectLine(String line) {
      return onClient("expect " + RawClient.quote(line), c -> c.expectLine(line));
    }

    /** Expects the next line to match {@code regex}. */
    public Builder expectLineMatching(String regex) {
      return onClient("expect ~ " + regex, c -> c.expectLineMatching(regex));
    }

    /** Expects {@code +OK}. */
    public Builder expectOk() {
      return expectLine("+OK");
    }

    /** Expects {@code -ERR '<text>'} with the connection staying usable. */
    public Builder expectErr(String text) {
      return onClient("expect -ERR '" + text + "'", c -> c.expectErr(text));
    }

    /** Expects {@code -ERR '<text>'} followed by the server closing the connection. */
    public Builder expectErrAndClose(String text) {
      return onClient("expect -ERR '" + text + "' then close",
          c -> c.expectErr(text).expectClosed());
    }

    /** Expects the server to close the connection with nothing more sent. */
    public Builder expectClosed() {
      return onClient("expect close", RawClient::expectClosed);
    }

    /** Expects silence for {@link #QUIET_WINDOW}. */
    public Builder expectNothing() {
      return expectNothing(QUIET_WINDOW);
    }

    /** Expects silence for {@code window}. */
    public Builder expectNothing(Duration window) {
      return onClient("expect nothing for " + window.toMillis() + " ms",
          c -> c.expectNothing(window));
    }

    /** Expects a MSG ({@code reply} may be null) with exactly {@code payload}. */
    public Builder expectMsg(String subject, String sid, String reply, String payload) {
      return onClient("expect MSG " + subject + " " + sid + " " + reply + " "
          + RawClient.quote(payload), c -> c.expectMsg(subject, sid, reply, payload));
    }

    /** Expects an HMSG ({@code reply} may be null) with exactly these headers and payload. */
    public Builder expectHMsg(String subject, String sid, String reply, String headers,
        String payload) {
      return onClient("expect HMSG " + subject + " " + sid + " " + reply + " "
          + RawClient.quote(headers + payload),
          c -> c.expectHMsg(subject, sid, reply, headers, payload));
    }

    /** Sends PING and expects PONG: proves every earlier op was processed. */
    public Builder ping() {
      return onClient("PING/PONG", RawClient::ping);
    }

    /** Waits; for scenarios about server timers. */
    public Builder sleep(Duration d) {
      return add("sleep " + d.toMillis() + " ms", run -> {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
    }

    /** Any check over the whole run, e.g. comparing what two connections received. */
    public Builder check(String description, Consumer<ScenarioRun> check) {
      return add(description, check);
    }

    /** Any other action on the current connection. */
    public Builder step(String description, Consumer<RawClient> action) {
      return onClient(description, action);
    }

    /**
     * Rewrites normalised transcript lines matching {@code regex} (not a step): for bytes that
     * legitimately differ between runs, such as which queue member got a message.
     */
    public Builder rewrite(String regex, String replacement) {
      rewrites.add(new Rewrite(Pattern.compile(regex), replacement));
      return this;
    }

    public Scenario build() {
      return new Scenario(this);
    }

    private Builder onClient(String description, Consumer<RawClient> action) {
      String conn = requireCurrent(description);
      return add(description, run -> action.accept(run.select(conn)));
    }

    private String requireCurrent(String description) {
      if (current == null) {
        throw new IllegalStateException("open a connection before '" + description + "'");
      }
      return current;
    }

    private Builder add(String description, Consumer<ScenarioRun> action) {
      steps.add(new Step(description, action));
      return this;
    }
  }
}
