/** The shape every transport dispatches to: one async handler per contract channel, args already validated. */
import type { Channel, ChannelParsedArgs, ChannelResult } from '../../shared/ipc-contract';

export type Handler<C extends Channel> = (args: ChannelParsedArgs<C>) => Promise<ChannelResult<C>> | ChannelResult<C>;
export type Handlers = { [C in Channel]: Handler<C> };
