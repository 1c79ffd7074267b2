package io.drover.dns.transport;

import io.drover.dns.net.SocketPlace;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import java.util.function.Supplier;

/**
 * Netty channel factories that make their channel (and so its socket, which the channel opens as it is constructed)
 * inside a {@link SocketPlace}; the channel's event loop may run anywhere.
 */
final class PlacedChannels {

    private PlacedChannels() {}

    static <C extends Channel> ChannelFactory<C> in(SocketPlace place, Supplier<C> make) {
        if (place == SocketPlace.HERE) {
            return make::get;
        }
        return () -> {
            try {
                return place.open(make::get);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ChannelException("cannot open a socket in " + place + ": " + e.getMessage(), e);
            }
        };
    }
}
