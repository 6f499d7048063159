import { Module } from '@nestjs/common';
import { CampaignController } from './campaign.controller';
import { CampaignService } from './campaign.service';

/** Accuracy campaigns of the provincial bureaus (issue 20, part 4). */
@Module({ controllers: [CampaignController], providers: [CampaignService] })
export class CampaignModule {}
