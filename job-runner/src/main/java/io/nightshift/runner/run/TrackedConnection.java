package io.nightshift.runner.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;

/** A connection that leaves the run's set of open connections when the task closes it. */
final class TrackedConnection implements InvocationHandler {

    private final Connection target;
    private final Set<Connection> open;

    TrackedConnection(Connection target, Set<Connection> open) {
        this.target = target;
        this.open = open;
    }

    Connection proxy() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if ("close".equals(method.getName())) {
            open.remove(target);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
