/** The CronJob controller: cron schedules (with time zones) that create Jobs, with concurrency policies and history limits. */
package io.kube4j.controllers.cronjob;
