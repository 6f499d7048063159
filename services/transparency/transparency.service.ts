import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventLog } from '../../events/ports/event-log.port';
import { hashToBase64 } from '../../events/registry/transparency/merkle-hash';
import { EVENT_LOG, TREE_HEAD_SIGNER } from '../tokens';
import { RegistryLeafTree } from './registry-leaf-tree';
import { type SignedTreeHead, type TreeHeadSigner, signTreeHead } from './tree-head';

/**
 * The registry's transparency log, kept in memory and brought up to the event log's head on demand:
 * concurrent requests share one catch-up, and a head is signed once per growth of the tree, not per
 * request. Nothing is stored: a restart rebuilds the same tree from the log, starting at bootstrap so
 * the first request does not wait for a large registry.
 */
@Injectable()
export class TransparencyService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Transparency');
  private readonly leaves = new RegistryLeafTree();
  private head: SignedTreeHead | undefined;
  private syncing: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TREE_HEAD_SIGNER) private readonly signer: TreeHeadSigner,
  ) {}

  onApplicationBootstrap(): void {
    this.current().catch((error: Error) =>
      this.logger.warn(
        `catch-up of the transparency log failed (retried on the next request): ${error.message}`,
      ),
    );
  }

  /** The tree and its signed head, up to the last registry event the log had committed. */
  async current(): Promise<{ leaves: RegistryLeafTree; head: SignedTreeHead }> {
    this.syncing ??= this.catchUp().finally(() => (this.syncing = undefined));
    await this.syncing;
    return { leaves: this.leaves, head: this.head as SignedTreeHead };
  }

  private async catchUp(): Promise<void> {
    await this.leaves.catchUp(this.eventLog);
    if (this.head?.treeSize === this.leaves.size) return;
    const treeHead = {
      treeSize: this.leaves.size,
      rootHash: hashToBase64(this.leaves.tree.root()),
      timestamp: Date.now(),
    };
    this.head = signTreeHead(treeHead, this.signer);
  }
}
