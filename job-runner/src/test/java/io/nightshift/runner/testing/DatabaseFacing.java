package io.nightshift.runner.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose SQL reaches PostgreSQL: {@code mvn verify} runs it on the default version and again on
 * every other supported major (job-runner/pom.xml). Every test class that uses {@link TestDatabase} carries it,
 * or is named in {@link EveryDatabaseTestIsTaggedTest} with the reason it is not repeated.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(DatabaseFacing.TAG)
public @interface DatabaseFacing {

    String TAG = "database";
}
