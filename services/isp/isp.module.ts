import { Module } from '@nestjs/common';
import { AccessWithdrawalService } from './access-withdrawal.service';
import { IspController } from './isp.controller';

/** What an ISP (接入服务商) does in the registry: withdraw its access to a service it serves. */
@Module({ controllers: [IspController], providers: [AccessWithdrawalService] })
export class IspModule {}
